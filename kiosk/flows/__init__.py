"""Navigation as data: each family journey is a map of steps, walked by one ``Flow``.
No Qt here, so every journey's map is unit-tested without widgets (docs/flows.md)."""
