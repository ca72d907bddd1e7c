"""The typed records of the directory and the one public projection every output receives."""
