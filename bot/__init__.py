"""詐欺SMSチェッカー: the platform-neutral core (detection, reply composition, storage, config)."""
