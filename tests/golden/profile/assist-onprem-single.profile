# Workspace ONE Assist, single-server (all-in-one) on-premises deployment.
#
# Written from seed document 000 (Workspace ONE Assist network and firewall
# requirements):
# - "On-Prem Config: Firewall Rules, Single-Server On-Prem Deployment": the
#   four rows of its table are the four open rules below, in order;
# - "On-Prem Config: IP Address and Port Translation, Single-Server On-Prem
#   Deployment": 443 (Portal Services and T10 API) and 8443 (Connection
#   Proctor Service), both customizable: edit the services if yours differ;
# - "On-Premises Deployments Across Public and Private Security Zones",
#   "Single-Server Deployments": the database server in the private zone,
#   the all-in-one server in the public zone, reachable from the device and
#   user networks.  The placement is recorded on the roles, and the closed
#   rule states what it means for the firewall: the private zone's database
#   is not reachable from the device and user networks.
# The TLS expectations follow the table's TCP/TLS/SSL and TCP/HTTPS, and
# seed document 004 (Workspace ONE Assist SSL certificate install): the
# site certificate secures 443 and the Connection Proctor on 8443.  The SNI
# of those probes is the server's FQDN, which only the site knows
# (`host assist ... fqdn "..."`).
# The certificate checks are the ones the seeds state for this deployment:
# - san: "It corresponds to the FQDN" (seed 000, Site SSL/TLS Certificate,
#   single server) and "You must provide the SSL certificate as a wildcard
#   or SAN certificate" (seed 004);
# - same-cert: the one site certificate "is used in IIS for the Portal
#   Services bound to port 443" and "for the Connection Proctor Service
#   bound to port 8443" (seed 000);
# - not-expired (warning under 30 days left): seed 004's procedure renews
#   an expired site certificate and updates its thumbprint.
# No pin: seed 000's b64pubkeys value is the customer's own
# ("{ENTER SSL HASH HERE}"); add `pin "..."` (ruleproof tls-pin CERT) when
# the agents pin a self-signed certificate.  No trusted: a certificate from
# a well-known CA is advised, a self-signed one with pinning allowed.

profile "Workspace ONE Assist on-premises, single server"
source  "Workspace ONE Assist network and firewall requirements (seed 000)"

zone devices "Device and User Networks / Internet"
zone uem     "Workspace ONE portal server (UEM console)"
zone public  "Public zone (DMZ)"
zone private "Private zone"

role assist "Workspace ONE Assist server (all in one: Portal, CP, T10)" in public
role db     "MS SQL Database Server" in private

service portal = tcp/443 tls cert (san, not-expired, same-cert)    # Portal Services and T10 API (customizable)
service cp     = tcp/8443 tls cert (san, not-expired, same-cert)   # Connection Proctor Service (customizable)
service mssql  = tcp/1433

section "On-Prem Config: Firewall Rules, Single-Server On-Prem Deployment"
open devices -> assist : cp     inbound cite "row 1: Device and User Networks / Internet -> CP Server, TCP/TLS/SSL 8443, Accept; IP and Port Translation: 8443*; TLS: seed 004"
open devices -> assist : portal inbound cite "row 2: Device and User Networks / Internet -> Portal Server, TCP/HTTPS 443, Accept; IP and Port Translation: 443*; TLS: seed 004"
open uem     -> assist : portal inbound cite "row 3: Workspace ONE portal server -> Portal Server (T10 Interface), TCP/HTTPS 443, Accept"
open assist  -> db     : mssql  inbound cite "row 4: Workspace ONE Assist server -> MS SQL Database Server, TCP 1433, Accept"

section "On-Premises Deployments Across Public and Private Security Zones"
closed devices, uem -> db : mssql inbound cite "Single-Server Deployments: the database server in the private zone"

# Everything the tables do not name is expected to be closed.
default closed
