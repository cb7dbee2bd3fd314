"""E-mail to families: what each message says, the outbox that queues it with the change it
reports, and the mailers that deliver it."""
