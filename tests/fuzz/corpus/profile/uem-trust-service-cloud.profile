# Workspace ONE UEM: firewall rules for the HMAC token and SSL pinning, with
# the Cloud Trust Service on the Auto-Discovery domain.
#
# Written from seed document 002 (Workspace ONE UEM: configure your
# deployment to accept SSL certificate pinning), "Table 1. HMAC Token
# Firewall Configuration": its four rows are the four rules below, in order.
# Row 4 reads "discovery.awmdm.com (or on-premises Trust Service)": this
# profile is the cloud reading; uem-trust-service-onprem.profile is the
# other.  The prerequisites say a closed-network deployment needs "a network
# exception to the Cloud Trust Service, which is hosted on the Auto-Discovery
# domain (discovery.awmdm.com)".  The seed documents no address for it: a
# site must bind it.  Every row is "TCP 443 (TLS)": TLS probes whose SNI is
# discovery.awmdm.com, or the Device Services server's FQDN from the site.
#
# No `default closed`: the table lists what the HMAC token and the Trust
# Service need, not the deployment's whole policy (devices must reach
# Device Services on 443 for everything else they do), so closing all else
# would assert what the vendor never asked for.

profile "Workspace ONE UEM HMAC token and Cloud Trust Service"
source  "Workspace ONE UEM SSL certificate pinning (seed 002)"

zone devices "Devices"
role console "Workspace ONE UEM console"
role ds      "Device Services"

fqdn discovery.awmdm.com "Auto-Discovery domain, hosting the Cloud Trust Service"

service tls443 = tcp/443 tls

section "Table 1. HMAC Token Firewall Configuration"
open console             -> discovery.awmdm.com : tls443 outbound cite "row 1: Workspace ONE UEM console, TCP 443 (TLS), discovery.awmdm.com"
open ds                  -> discovery.awmdm.com : tls443 outbound cite "row 2: Device Services, TCP 443 (TLS), discovery.awmdm.com"
open discovery.awmdm.com -> ds                  : tls443 inbound  cite "row 3: discovery.awmdm.com, TCP 443 (TLS), Device Services"
open devices             -> discovery.awmdm.com : tls443 outbound cite "row 4: Devices, TCP 443 (TLS), discovery.awmdm.com"
