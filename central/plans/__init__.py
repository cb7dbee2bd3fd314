"""What a facility offers and what a family buys: facilities, rates and plans with their
compliance rule sets, subscriptions, their periods and renewals, and the plan advisor."""
