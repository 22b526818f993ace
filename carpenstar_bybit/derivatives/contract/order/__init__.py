"""PHP ``Carpenstar\\ByBitAPI\\derivatives\\contract\\order``."""
