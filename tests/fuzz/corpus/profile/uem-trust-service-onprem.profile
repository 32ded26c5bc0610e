# Workspace ONE UEM: firewall rules for the HMAC token and SSL pinning, with
# an on-premises Trust Service.
#
# Written from seed document 002 (Workspace ONE UEM: configure your
# deployment to accept SSL certificate pinning), "Table 1. HMAC Token
# Firewall Configuration", reading row 4's "(or on-premises Trust Service)":
# devices reach the on-premises Trust Service instead of discovery.awmdm.com.
# Rows 1 to 3 stay: the console generates the HMAC token through Workspace ONE
# ID's Auto Discovery mode, on discovery.awmdm.com, whichever Trust Service
# the devices use.  uem-trust-service-cloud.profile is the cloud reading.
#
# The Trust Service's port is the one its URL names (procedure step 5,
# "https://<host>:<port>/TrustService"); on a server shared with Device
# Services it must be a port of its own (step 4).  443 is written here: edit
# `service trust` to match yours.  Its certificate holds one DNS name (step 3:
# "The CSR cannot have multiple DNS names in the Subject Alternative Name"),
# which is the SNI of the TLS probes: the site gives it (`fqdn "..."`).
#
# No `default closed`, for the reason given in the cloud profile.

profile "Workspace ONE UEM HMAC token and on-premises Trust Service"
source  "Workspace ONE UEM SSL certificate pinning (seed 002)"

zone devices "Devices"
role console "Workspace ONE UEM console"
role ds      "Device Services"
role ts      "On-premises Trust Service"

fqdn discovery.awmdm.com "Auto-Discovery domain (Workspace ONE ID, HMAC token)"

service tls443 = tcp/443 tls
service trust  = tcp/443 tls    # the port of your Trust Service URL

section "Table 1. HMAC Token Firewall Configuration"
open console             -> discovery.awmdm.com : tls443 outbound cite "row 1: Workspace ONE UEM console, TCP 443 (TLS), discovery.awmdm.com"
open ds                  -> discovery.awmdm.com : tls443 outbound cite "row 2: Device Services, TCP 443 (TLS), discovery.awmdm.com"
open discovery.awmdm.com -> ds                  : tls443 inbound  cite "row 3: discovery.awmdm.com, TCP 443 (TLS), Device Services"
open devices             -> ts                  : trust  inbound  cite "row 4: Devices, TCP 443 (TLS), (or on-premises Trust Service)"
