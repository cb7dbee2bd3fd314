"""Money: the card gateway, cards on file and charging them, the AdvanceConnect double-entry
ledger and its deposits (integer cents)."""
