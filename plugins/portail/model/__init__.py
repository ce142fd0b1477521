"""Model: the immutable data read from kb/ and the rules every stage shares (versions, contract,
clock, French formats, URLs, words)."""
