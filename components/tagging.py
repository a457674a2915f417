"""Default tags on every taggable resource, applied once for the whole stack."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi


def tag_every_resource(tags: Mapping[str, str]) -> None:
    """Merge `tags` under each resource's own tags (its own keys win).

    A stack transformation runs inside the SDK, so the tags are real inputs: visible to the
    policy pack, to `pulumi preview` and to the offline engine alike (provider default_tags
    would only appear as the computed `tagsAll`).
    """
    pulumi.runtime.register_stack_transformation(tagging(tags))


def tagging(tags: Mapping[str, str]) -> pulumi.ResourceTransformation:
    """The transformation that merges `tags` under a taggable resource's own; a component's
    `transformations` option applies it to the component's children."""
    defaults = dict(tags)

    def add_tags(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
        if "tags" not in args.props:
            return None
        merged = pulumi.Output.from_input(args.props["tags"]).apply(lambda own: {**defaults, **(own or {})})
        return pulumi.ResourceTransformationResult({**args.props, "tags": merged}, args.opts)

    return add_tags
