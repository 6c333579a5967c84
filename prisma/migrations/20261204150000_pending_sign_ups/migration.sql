-- Sign-ups waiting for their e-mail to be confirmed (src/server/accounts/sign-up.ts): when the portal can
-- send e-mail, a sign-up answers the same whether or not the address has an account, and the account is
-- created only from the link sent to that address. Unconfirmed rows expire after 24 hours.
CREATE TABLE "pending_sign_ups" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" VARCHAR(254) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "password_hash" TEXT NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_sign_ups_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "pending_sign_ups_token_hash_key" ON "pending_sign_ups" ("token_hash");
CREATE INDEX "pending_sign_ups_email_idx" ON "pending_sign_ups" ("email");
