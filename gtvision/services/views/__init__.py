"""Wall views: named layouts per user."""
