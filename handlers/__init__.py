"""Platform adapters (LINE, Slack, the web playground): translate platform events to core calls and back."""
