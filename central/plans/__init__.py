"""What a family buys: subscriptions, their periods and renewals, and the plan advisor.

By purpose: ``quote`` (what may be bought, at what price), ``subscriptions`` (the life
cycle and the handlers of the routes that charge nothing), ``purchases`` (the handlers that
charge a card and the effects of their charges), ``next_period`` (the one state machine of
a subscription's next period), ``renewals`` (the run at period end), ``coverage`` (the
questions call rating and the answers ask), ``letters`` (what a subscription sends),
``charge_details`` (what a plan's charge remembers), ``periods``, ``pricing``,
``price_audit``, ``compliance``, ``advisor`` and ``account_detail``."""
