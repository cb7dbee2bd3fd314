"""The shared kernel, the bottom of central/'s house: what every capability stands on and
nothing in it knows any capability. The clock, problems (the API's error answers), the
field types of request bodies, text folding, the Idempotency-Key store, the unit of work
(ports), and what a facility is and offers with the compliance rule sets that bound its
prices. See docs/architecture.md."""
