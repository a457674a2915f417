"""Serve ops-baseline's components to programs in every Pulumi language (see PulumiPlugin.yaml)."""

from pulumi.provider.experimental import component_provider_host

from ops_baseline.package import PACKAGE, ServiceMonitoring, version

if __name__ == "__main__":
    component_provider_host([ServiceMonitoring], name=PACKAGE, version=version())
