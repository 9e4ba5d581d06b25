"""Word lists the pure core reads as package data: the Welsh lexicon and English word list of
`welsh.py`, and the exit-poll blocklist of `poll.py`. A package of its own so that
`importlib.resources` finds the files from a checkout, an editable install and a wheel alike."""
