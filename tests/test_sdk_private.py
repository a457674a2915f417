"""The SDK names the project leans on: the wire's signatures the offline engine spells itself must be
the SDK's, and no module but policies/guardrails/sdk_private.py imports a private SDK name."""

from pulumi.runtime import rpc

from opsctl.engine import wire


def test_the_engines_wire_signatures_are_the_sdks():
    assert rpc._special_sig_key == wire.SIGNATURE_KEY  # noqa: TID251 (the comparison is the point)
    assert rpc._special_secret_sig == wire.SECRET_SIGNATURE  # noqa: TID251
    assert rpc._special_resource_sig == wire.RESOURCE_SIGNATURE
    assert rpc.UNKNOWN == wire.UNKNOWN
