#!/bin/sh
# Installs what flatbgp needs to build and test on Debian 12: the build
# tools and libraries, and the BGP daemons the interoperability tests run
# (BIRD 2, FRR, OpenBGPD, GoBGP).  Their packages would start system
# services in the root namespace; a policy-rc.d that exits 101 keeps them
# stopped (the tests start them inside their own network namespaces).
set -eu
if [ "$(id -u)" -ne 0 ]; then
	echo "setup.sh: run as root (sudo $0)" >&2
	exit 1
fi
policy=/usr/sbin/policy-rc.d
created_policy=no
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	created_policy=yes
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake pkg-config clang \
	libevent-dev libyaml-dev libnl-3-dev libnl-route-3-dev libssl-dev \
	iproute2 iputils-ping procps psmisc openssl ca-certificates python3 \
	bird2 frr openbgpd gobgpd
# Packages may have enabled their units; make sure none runs here.
for unit in bird frr openbgpd gobgpd; do
	systemctl disable --now "$unit" >/dev/null 2>&1 || true
done
if [ "$created_policy" = yes ]; then
	rm -f "$policy"
fi
echo "setup.sh: dependencies installed"
