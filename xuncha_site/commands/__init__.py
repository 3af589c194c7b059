"""The `xuncha` commands."""
