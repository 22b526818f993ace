"""PHP ``Carpenstar\\ByBitAPI\\derivatives``."""
