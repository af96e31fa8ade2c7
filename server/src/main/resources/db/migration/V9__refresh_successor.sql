-- Kairan schema v9: a spent refresh token keeps its successor, sealed under a key derived from the spent token
-- itself (AES-256-GCM, key = HMAC-SHA256(token, label)), so that presenting it again within the grace returns
-- the same successor instead of starting a second live branch of the session. Only a holder of the spent token
-- can open it; the stored SHA-256 of the token does not give the key. NULL for tokens not yet spent.
ALTER TABLE refresh_tokens ADD COLUMN successor_sealed VARCHAR(128) NULL;
