#!/usr/bin/env bash
# Installs what TcpScope needs to build and run on Debian 12 (as root), restores NuGet
# packages and publishes the NativeAOT binary to artifacts/bin/tcpscope.
# Safe to run again: packages already present are not reinstalled.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

packages=(clang llvm libbpf-dev libbpf1 bpftool libelf-dev zlib1g-dev iproute2 iptables libcap2-bin)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || { echo "setup: installing ${missing[*]} needs root (sudo $0)" >&2; exit 77; }
	echo "setup: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

# classic tracepoints (the fallback attach mode) are found through tracefs
if [ "$(id -u)" = 0 ] && ! grep -q ' tracefs ' /proc/mounts && [ -d /sys/kernel/tracing ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi

dotnet restore TcpScope.slnx --nologo -v q
dotnet publish src/TcpScope.Cli/TcpScope.Cli.csproj -c Release -r linux-x64 --nologo -v q -o artifacts/bin
echo "setup: built $root/artifacts/bin/tcpscope"
