#!/bin/bash
# LocalStack ready hook (runs once the services answer; the compose health check waits for it).
# Verifies the sender address LocalStack uses for SNS email over SMTP (SMTP_EMAIL), so mail to Mailpit has a
# known From, and prints the services so `docker compose logs localstack` shows what this image offers.
set -euo pipefail
awslocal ses verify-email-identity --email-address "${SMTP_EMAIL:-tienda@example.com}"
curl -fsS http://localhost:4566/_localstack/health
echo
echo "shop: LocalStack ready; next: make deploy-local"
