"""PHP ``Carpenstar\\ByBitAPI\\derivatives\\contract``."""
