"""GT-Vision: an open video-management system for city control rooms."""

__version__ = "0.1.0"
