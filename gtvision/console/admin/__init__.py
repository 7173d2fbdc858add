"""Setting the city up from the console: cameras, zones, watch lists, users, webhooks, audit,
and the dashboard. Each dialog only shows and asks; a presenter next to it calls the service
(:mod:`.api`), which stays the judge of every action and audits it. :mod:`.tools` builds the
actions and decides what a role is offered."""
