/**
 * The help texts: what each command does, its options, and examples to copy. Kept together so they
 * read as one manual and stay consistent.
 */

const SECRETS = `Secrets come from the environment, so they stay out of shell history:
  GATEWAY_API_KEY          JWT gateway API key
  THB_SECRET_KEY           THB collect merchant secret key
  THB_PRIVATE_KEY          THB collect merchant private key (PEM or bare Base64)
  THB_PLATFORM_PUBLIC_KEY  THB collect platform public key (PEM or bare Base64)
or from --key-env VAR (the name of another variable holding it).`;

const EXIT_CODES = `Exit codes: 0 success, 1 check failed (not verified, or a cause was found),
2 usage or input error (for explain: no known cause found).`;

/** Help of each command, by the name used on the command line. */
export const HELP: Record<'main' | 'sandbox' | 'sign' | 'verify' | 'explain' | 'keys', string> = {
  main: `thaipay — the JWT gateway and THB collect from your terminal: a local sandbox of both
providers, signing, verifying, a signature debugger and RSA keys.

Usage: thaipay <command> [options]

Commands:
  sandbox            Run a local simulator of both providers (APIs, web page, signed callbacks)
  sign jwt|thb       Sign parameters; print the canonical form and the signature
  verify jwt|thb     Verify a saved callback / notification body
  explain jwt|thb    Find out why a signature does not match (the signature debugger)
  keys generate      Make a 2048-bit RSA key pair for THB collect

Options:
  -h, --help         Show help; "thaipay <command> --help" for a command's
  -v, --version      Print the version

${SECRETS}

${EXIT_CODES}

Examples:
  thaipay sandbox --port 4010
  echo '{"amount":1000,"timestamp":1640995200}' | thaipay sign jwt --key-env STAGING_GATEWAY_API_KEY
  thaipay verify thb notification.json --public-key platform_public_key.pem
  thaipay explain jwt --params request.json --signature eyJhbGciOi...
  thaipay keys generate --out ./keys
`,

  sandbox: `Usage: thaipay sandbox [--port N] [--host 127.0.0.1] [--keys FILE] [--allow-host NAME]

Run a local simulator of both providers until Ctrl-C: the JWT gateway under /api/v1 and THB collect
under /thb/..., with a web page to pay, fail or expire orders and watch the callbacks. Prints the
URLs, the credentials and example environment variables. Pending JWT gateway deposits expire by
themselves after 5 minutes (their expireDate), with a signed "expired" callback.

Every start makes up new credentials, unless --keys FILE is given:
  FILE missing   start with new credentials and save them to FILE (mode 0600, directory created)
  FILE present   start with the credentials in FILE, so the variables you exported keep working
FILE is JSON: merchantId, apiKey, appId, secretKey, merchantPrivateKey and platformPrivateKey
(both keys bare Base64 PKCS#8). It holds private keys of the sandbox only: never real ones, and
keep it out of version control. Add --port N too for the same URLs as well.

The controls that change the sandbox (POST/DELETE under /_sandbox: pay, fail, expire, inject a
fault) need the control token it prints, in the x-thaipay-sandbox-token header, with a JSON body;
its own page sends it. A new token is made on every start unless THAIPAY_SANDBOX_TOKEN is set (16 to
256 visible characters). Requests whose Host is not localhost, 127.0.0.1, [::1] or the --host
address (with the port) are refused, so no web site can reach the sandbox through DNS rebinding.

Options:
  --port N          Port to listen on (default: any free port)
  --host HOST       Address to bind (default 127.0.0.1; anyone who can reach it can use it)
  --keys FILE       Load the credentials from FILE, or save them there on the first run
  --allow-host NAME Also serve requests for NAME (with the port), e.g. a Docker service name;
                    repeat for more
  -h, --help        Show this help

Examples:
  thaipay sandbox
  thaipay sandbox --port 4010
  thaipay sandbox --port 4010 --keys .thaipay/sandbox-keys.json
  thaipay sandbox --host 0.0.0.0 --port 4010 --allow-host sandbox
  curl -X POST -H "x-thaipay-sandbox-token: $TOKEN" -H 'content-type: application/json' \\
    -d '{"amount":"150.00"}' http://127.0.0.1:4010/_sandbox/orders/order-1001/pay
`,

  sign: `Usage: thaipay sign jwt [file|-] [--key K | --key-env VAR]
       thaipay sign thb [file|-] [--secret-key K | --key-env VAR] [--private-key FILE]

Sign request parameters (a JSON object, from a file or stdin) the way the provider checks them, and
print the canonical form with the signature.
  jwt  the payload (parameters sorted by key, signature left out) and its HS256 JWT
  thb  the sign string (secret key shown as <secret>) and its SHA256withRSA sign

Options:
  --key K             JWT: the API key (prefer GATEWAY_API_KEY); THB: the secret key
  --key-env VAR       Read the key from the environment variable VAR
  --secret-key K      THB: the merchant secret key (prefer THB_SECRET_KEY)
  --private-key FILE  THB: the merchant private key file, PEM or bare Base64 (or THB_PRIVATE_KEY)
  -h, --help          Show this help

${SECRETS}

Examples:
  thaipay sign jwt deposit.json
  echo '{"amount":1000,"timestamp":1640995200}' | thaipay sign jwt --key-env STAGING_GATEWAY_API_KEY
  thaipay sign thb collect.json --private-key merchant_private_key.pem
`,

  verify: `Usage: thaipay verify jwt [file|-] [--key K | --key-env VAR] [--tolerance SECONDS]
                         [--no-require-timestamp] [--now TIME] [--max-body-bytes N]
       thaipay verify thb [file|-] [--secret-key K | --key-env VAR] [--public-key FILE|KEY] [--kind collection|payout]

Verify a saved callback (JWT gateway) or notification (THB collect) body, exactly as received, with the
SDK's own verifier (verifyJwtGatewayCallback, verifyThbNotification), and print OK with the verified
result, or why it is refused (exit 1).

JWT gateway: everything is read from the token's signed payload; body fields it does not sign are
printed apart, under "unsigned". The token must sign order_no, agent_order_no, status and amount, a
field in both body and token must be equal, iat/exp/nbf are allowed (exp and nbf enforced), and a
signed timestamp or iat is required. THB collect: empty and null fields and sign_type are unsigned
and dropped; a value that could hide another field ("&name=" where name would sort next) is
refused; the kind is the one you configured (--kind), never read from the notification.

Options:
  --key K                 JWT: the API key (prefer GATEWAY_API_KEY); THB: the secret key
  --key-env VAR           Read the key from the environment variable VAR
  --tolerance SECONDS     JWT: refuse a signed timestamp or iat further than this from now, either
                          way; also the leeway on exp and nbf (toleranceSeconds)
  --no-require-timestamp  JWT: accept a token that signs neither timestamp nor iat (requireTimestamp: false)
  --now TIME              JWT: check at this time, unix seconds or ISO 8601 (when a saved callback arrived)
  --max-body-bytes N      JWT: refuse a larger body (maxBodyBytes; default 65536)
  --secret-key K          THB: the merchant secret key (prefer THB_SECRET_KEY)
  --public-key FILE|KEY   THB: the platform public key (or THB_PLATFORM_PUBLIC_KEY)
  --kind KIND             THB: collection or payout, as your notify URL for it says (default: unknown)
  -h, --help              Show this help

${EXIT_CODES}

Examples:
  thaipay verify jwt callback.json
  thaipay verify jwt callback.json --now 2022-01-01T00:03:00Z --tolerance 300
  thaipay verify thb notification.txt --public-key platform_public_key.pem --kind payout
`,

  explain: `Usage: thaipay explain jwt --params FILE [--signature SIG] [--key K | --key-env VAR]
       thaipay explain jwt --callback --params FILE [--signature SIG] [--key K | --key-env VAR]
                           [--tolerance SECONDS] [--no-require-timestamp] [--now TIME] [--max-body-bytes N]
       thaipay explain thb --params FILE [--signature SIG] [--secret-key K | --key-env VAR]
                           [--public-key FILE|KEY] [--private-key FILE]

The signature debugger. Give the parameters you sent (or the body you received) and the signature the
provider expected or produced; it names the cause in one sentence.

  jwt             Parameters you send: tries the known signing mistakes and names the one that
                  reproduces the signature: a number sent as a string, a field added, missing or empty,
                  the signature field signed, an iat added, key order, URL-encoded values, a different
                  timestamp, amount format ("300" vs "300.00"), a wrong or whitespace-damaged key.
  jwt --callback  A callback you received: the SDK's verifyJwtGatewayCallback decides, with the options
                  verify jwt takes, and its refusal is named: a wrong or damaged key, a token edited
                  after signing, a body field that differs from the signed one, order ids, status or
                  amount left unsigned, an expired exp, a future nbf, no signed timestamp, a timestamp
                  outside --tolerance. iat and body fields outside the token are not causes.
  thb             Tries the known mistakes on the sign string: empty values or sign_type included,
                  key order, URL encoding, amount format, a field added, the secret key not appended,
                  a wrong key pair, SHA1, a PKCS#1 key; and names a value that could hide another
                  field (one holding "&fee=" where fee would sort next), which thaipay refuses.
                  Empty and null fields and sign_type are unsigned: noted, never blamed.

Options:
  --params FILE           The parameters or body (JSON; THB also form-encoded); "-" for stdin
  --signature SIG         The signature; default: the body's signature (JWT) or sign (THB) field
  --key K                 JWT: the API key (prefer GATEWAY_API_KEY; needed with --callback); THB: the secret key
  --key-env VAR           Read the key from the environment variable VAR
  --callback              JWT: the body is a callback you received (see above)
  --tolerance SECONDS     JWT --callback: as for verify jwt (toleranceSeconds)
  --no-require-timestamp  JWT --callback: accept an untimed token (requireTimestamp: false)
  --now TIME              JWT --callback: check at this time, unix seconds or ISO 8601
  --max-body-bytes N      JWT --callback: refuse a larger body (maxBodyBytes)
  --secret-key K          THB: the merchant secret key (prefer THB_SECRET_KEY)
  --public-key FILE|KEY   THB: the signer's public key: the platform's for notifications and
                          responses (or THB_PLATFORM_PUBLIC_KEY)
  --private-key FILE      THB: your private key, to explain the sign of your own request
  -h, --help              Show this help

Exit codes: 0 the signature is correct (the callback verifies), 1 a cause was found (refused),
2 no known cause (or a usage error).

Examples:
  thaipay explain jwt --params request.json --signature eyJhbGciOi...
  thaipay explain jwt --callback --params callback.json --now 2022-01-01T00:03:00Z
  thaipay explain thb --params notification.json --public-key platform_public_key.pem
  thaipay explain thb --params request.json --private-key merchant_private_key.pem
`,

  keys: `Usage: thaipay keys generate [--out DIR] [--force] [--print-private]

Make a 2048-bit RSA key pair for THB collect. Upload the PUBLIC key (bare Base64 X.509 SPKI) to the
provider; keep the private key (PKCS#8) secret.

With --out DIR, writes
  merchant_private_key.pem   PEM PKCS#8               (mode 0600)
  merchant_private_key.txt   bare Base64 PKCS#8       (mode 0600)
  merchant_public_key.pem    PEM X.509 SPKI
  merchant_public_key.txt    bare Base64 X.509 SPKI   (the form to upload)
and prints the public key. Without --out, --print-private is required: both keys are printed to
stdout (redirect it to a file you keep secret). Without either, nothing is generated, so a private key
is never lost.

Options:
  --out DIR          Write the four files into DIR (created if missing)
  --force            Overwrite existing key files
  --print-private    Also print the private key (PEM and bare Base64) to stdout
  -h, --help         Show this help

Examples:
  thaipay keys generate --out ./keys
  thaipay keys generate --print-private > pair.txt
`,
};
