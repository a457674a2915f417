"""Special values on the wire between the Pulumi engine, its SDKs and analyzers: an object whose
`SIGNATURE_KEY` holds one of these signatures is a secret, a resource reference, ... These are the
protocol's constants (the Go SDK's `resource/sig` package), spelt here so the offline engine needs no
private name of the Python SDK, also where it runs in a program's own virtualenv."""

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""A value unknown during preview (`pulumi.runtime.rpc.UNKNOWN`)."""
SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e"
"""A resource passed as an input, in wire form: `{sig, urn, id}`."""
