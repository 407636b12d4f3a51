"""A believable demo: a Finnish retail bank with six months of encounter feedback (see seed.py)."""
