#!/usr/bin/env bash
# A client with nothing but curl and sha256sum: anchors a file through the EdgeTrust service and verifies it.
# Env: SERVICE_URL, SERVICE_CA (the CA of the service's certificate), API_KEY, RECORD_ID. Arg: the file.
set -euo pipefail
file=$1
digest=$(sha256sum "$file" | cut -d' ' -f1)
size=$(stat -c %s "$file")
api() { curl -sS --fail-with-body --cacert "$SERVICE_CA" -H "Authorization: Bearer $API_KEY" "$@"; }
anchored=$(api -X POST "$SERVICE_URL/v1/evidence/records" -H 'Content-Type: application/json' -H "Idempotency-Key: $RECORD_ID" \
  -d "{\"id\":\"$RECORD_ID\",\"digest\":\"$digest\",\"size\":$size,\"name\":\"$(basename "$file")\",\"source\":{\"type\":\"device\",\"id\":\"curl-camera\"}}")
block=$(printf '%s' "$anchored" | grep -o '"blockNumber":[0-9]*' | cut -d: -f2)
echo "anchored $RECORD_ID in block $block"
outcome() { printf '%s' "$1" | grep -o '"outcome":"[a-z_]*"' | cut -d'"' -f4; }
echo "verify: $(outcome "$(api "$SERVICE_URL/v1/evidence/verify?id=$RECORD_ID&digest=$digest")")"
tampered=$(printf 'tampered' | cat "$file" - | sha256sum | cut -d' ' -f1)
echo "tampered: $(outcome "$(api "$SERVICE_URL/v1/evidence/verify?id=$RECORD_ID&digest=$tampered")")"
