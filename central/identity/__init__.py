"""Who may act: family accounts and linked residents, PIN sign-in and sessions, staff members,
kiosk and call-platform credentials, and the hashing of PINs and tokens."""
