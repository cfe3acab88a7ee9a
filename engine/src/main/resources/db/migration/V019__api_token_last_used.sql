-- When each API token was last used (UTC). The server records it at most once a minute per token, so a busy
-- client does not turn every request into a write.
ALTER TABLE api_tokens ADD COLUMN last_used_at TIMESTAMP;
