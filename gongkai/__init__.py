"""gongkai: government information disclosure (政务公开) for Chinese agencies."""

__version__ = "0.1.0"
