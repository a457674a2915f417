"""`pulumi preview --policy-pack DIR --policy-pack-config FILE`, as the Pulumi CLI runs a local
Python pack, written out step by step and apart from opsctl's engine, so the two can be compared.

The steps, from pulumi/pulumi (`NewPolicyAnalyzer`, `constructEnv`, `ReconcilePolicyPackConfig`,
the step generator) and pulumi-language-python:
1. read `PulumiPolicy.yaml`; the interpreter is `<pack>/<virtualenv>/bin/python` (`venv` unless
   the manifest names another); the CLI never creates it for a local pack;
2. start `python -u -m pulumi.policy ENGINE <absolute pack dir>` in the pack directory with
   PULUMI_ORGANIZATION, PULUMI_PROJECT, PULUMI_STACK, PULUMI_DRY_RUN and PULUMI_CONFIG; read the
   port from the first line of its output;
3. ConfigureStack (the CLI's proxy in front of the pack answers Handshake itself), GetAnalyzerInfo,
   then Configure with every policy's schema defaults,
   the config file's `all` level and its entries (`all` and unknown names included);
4. per resource, one at a time: Remediate, then Analyze with the remediated properties, each with
   the resource's provider (the default provider: the stack's `aws:*` settings as strings and the
   plugin version);
5. AnalyzeStack once over the state: the stack, the default providers, every resource; Cancel.

Only the program's registrations come from opsctl's offline runner (with its provider Check): they
are what the program declares, and a real preview gets them from the language host and the
provider. The launch, the calls, the config and the default provider are this module's own.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import grpc
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from opsctl.engine import ProgramRun, Registration

LEVELS = {"advisory": 0, "mandatory": 1, "disabled": 2, "remediate": 3}


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    level: str
    urn: str
    message: str


def _struct(values: dict) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    json_format.ParseDict(values, message)
    return message


def reconcile(info: analyzer_pb2.AnalyzerInfo, given: dict) -> dict[str, tuple[str, dict]]:
    """The CLI's policy config: schema defaults, then `all`, then each entry of the file."""
    names = {v: k for k, v in LEVELS.items()}
    result: dict[str, tuple[str, dict]] = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties) if policy.HasField("configSchema") else {}
        result[policy.name] = (
            names[policy.enforcementLevel],
            {k: v["default"] for k, v in schema.items() if "default" in v},
        )
    if isinstance(given.get("all"), str):
        result = {name: (given["all"], properties) for name, (_, properties) in result.items()}
    for name, entry in given.items():
        level, properties = result.get(name, ("", {}))
        entry = {"enforcementLevel": entry} if isinstance(entry, str) else dict(entry)
        level = entry.pop("enforcementLevel", level)
        result[name] = (level, {**properties, **entry})
    return result


class PulumiPreview:
    def __init__(self, pack_dir: Path, config_file: Path, plan: ProgramRun, *, aws_version: str):
        self.pack_dir = pack_dir.resolve()
        self.config_file = config_file
        self.plan = plan
        self.aws_version = aws_version
        self.calls: list[str] = []

    @property
    def python(self) -> Path:
        manifest = yaml.safe_load((self.pack_dir / "PulumiPolicy.yaml").read_text())
        virtualenv = (manifest.get("runtime", {}).get("options") or {}).get("virtualenv") or "venv"
        return self.pack_dir / virtualenv / "bin" / "python"

    def default_provider(self) -> Registration:
        name = "default_" + self.aws_version.replace(".", "_")
        urn = f"urn:pulumi:{self.plan.stack}::{self.plan.project}::pulumi:providers:aws::{name}"
        inputs = {k.split(":", 1)[1]: v for k, v in self.plan.config.items() if k.startswith("aws:")}
        inputs["version"] = self.aws_version
        return Registration(urn, "pulumi:providers:aws", name, None, True, inputs, inputs)

    def run(self) -> list[Diagnostic]:
        env = {
            **os.environ,
            "PULUMI_ORGANIZATION": "organization",
            "PULUMI_PROJECT": self.plan.project,
            "PULUMI_STACK": self.plan.stack,
            "PULUMI_DRY_RUN": "true" if self.plan.mode == "preview" else "false",
            "PULUMI_CONFIG": json.dumps(self.plan.config),
        }
        command = [str(self.python), "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(self.pack_dir)]
        process = subprocess.Popen(command, cwd=self.pack_dir, env=env, stdout=subprocess.PIPE, text=True)
        try:
            port = int(process.stdout.readline())
            with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
                return self._preview(analyzer_pb2_grpc.AnalyzerStub(channel))
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()

    def _call(self, stub, method: str, request, optional: bool = False):
        self.calls.append(method)
        try:
            return getattr(stub, method)(request)
        except grpc.RpcError as error:
            if optional and error.code() == grpc.StatusCode.UNIMPLEMENTED:
                return None
            raise

    def _preview(self, stub) -> list[Diagnostic]:
        stack = analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=self.plan.stack,
            project=self.plan.project,
            organization="organization",
            dry_run=self.plan.mode == "preview",
            config=self.plan.config,
            config_secret_keys=list(self.plan.secret_keys),
        )
        self._call(stub, "ConfigureStack", stack, optional=True)
        info = self._call(stub, "GetAnalyzerInfo", empty_pb2.Empty())
        configure = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, (level, properties) in reconcile(info, json.loads(self.config_file.read_text())).items():
            configure.policyConfig[name].CopyFrom(
                analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level], properties=_struct(properties))
            )
        self._call(stub, "Configure", configure)

        provider = self.default_provider()
        wire_provider = analyzer_pb2.AnalyzerProviderResource(
            type=provider.type, properties=_struct(provider.inputs), urn=provider.urn, name=provider.name
        )
        found: list[Diagnostic] = []
        for resource in self.plan.registrations:
            if not resource.custom:
                continue
            request = analyzer_pb2.AnalyzeRequest(
                type=resource.type,
                properties=_struct(resource.inputs),
                urn=resource.urn,
                name=resource.name,
                options=analyzer_pb2.AnalyzerResourceOptions(parent=resource.parent or ""),
                provider=wire_provider,
            )
            remediated = self._call(stub, "Remediate", request, optional=True)
            for remediation in remediated.remediations if remediated else ():
                if remediation.HasField("properties"):
                    request.properties.CopyFrom(remediation.properties)
            # The engine files a resource's diagnostics under that resource.
            found += self._diagnostics(self._call(stub, "Analyze", request), resource.urn)

        state = [self.plan.stack_resource, provider, *self.plan.registrations]
        resources = [
            analyzer_pb2.AnalyzerResource(
                type=r.type,
                properties=_struct(r.outputs),
                urn=r.urn,
                name=r.name,
                parent=r.parent or "",
                dependencies=list(r.dependencies),
                propertyDependencies={
                    k: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(v))
                    for k, v in r.property_dependencies.items()
                },
                provider=wire_provider if r.custom and not r.type.startswith("pulumi:") else None,
            )
            for r in state
        ]
        answer = self._call(stub, "AnalyzeStack", analyzer_pb2.AnalyzeStackRequest(resources=resources), optional=True)
        found += self._diagnostics(answer) if answer else []
        self._call(stub, "Cancel", empty_pb2.Empty(), optional=True)
        return found

    @staticmethod
    def _diagnostics(response: analyzer_pb2.AnalyzeResponse, urn: str | None = None) -> list[Diagnostic]:
        names = {v: k for k, v in LEVELS.items()}
        return [
            Diagnostic(d.policyName, names[d.enforcementLevel], urn or d.urn, d.message) for d in response.diagnostics
        ]
