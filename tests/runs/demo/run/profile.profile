# Workspace ONE Assist, multiple-server on-premises deployment, from seed 000
# (Workspace ONE Assist network and firewall requirements): one rule per row
# of "On-Prem Config: Firewall Rules, Multiple Server On-Prem Deployment"; the
# ports of "IP Address and Port Translation, Medium and Multiple-Server" (the
# CP server takes 443, so 8443 is not opened; * ports are customizable); TLS
# as its tables and seed 004 say; zones of "Deployments Across Public and
# Private Security Zones" (CP and Portal public, Core/App and DB private).
# Certificate checks on 443 as the seeds state them: san, since "the
# certificates must correspond to the FQDN assigned to the servers" (seed
# 000, multiple servers) and must be "a wildcard or SAN certificate" (seed
# 004); not-expired, since seed 004 renews an expired site certificate.  Not
# same-cert: Portal and CP are different servers, which may share one SAN or
# wildcard certificate or each have their own.  None on 6443: the installer
# generates that internal certificate itself.
profile "Workspace ONE Assist on-premises, multiple servers"
source  "Workspace ONE Assist network and firewall requirements (seed 000)"

zone devices "Device and User Networks / Internet"
zone uem     "Workspace ONE UEM portal server"
zone public  "Public zone (DMZ): servers the device and user networks reach"
zone private "Private zone"

role portal  "Portal Server (Portal Services and T10 API)" in public
role cp      "Connection Proctor (CP) Server" in public
role core    "Core/App Server" in private
role db      "MS SQL Database Server" in private

service https    = tcp/443 tls cert (san, not-expired)  # Portal Services, T10 API, CP Service (443*)
service mgmt-web = tcp/6443 tls # Management website, internal SSL certificate (6443*)
service dtp      = tcp/8865     # Data Tier Proxy
service msg      = tcp/8866     # Messaging Entity
service dap      = tcp/8867     # Data Access Proxy
service svc      = tcp/8870     # Service Coordinator
service me       = tcp/20879    # Management Entity
service token    = tcp/48660    # Token Service
service me-to-cp = tcp/12780    # Connection Proctor from Management Entity
service mssql    = tcp/1433     # Database server

# The core/app ports that CP and Portal servers must reach.
service core-app = mgmt-web, dtp, msg, dap, svc, me, token

section "On-Prem Config: Firewall Rules, Multiple Server On-Prem Deployment"
open devices    -> cp     : https    inbound cite "row 1: Device and User Networks / Internet -> CP Server, TCP/TLS/SSL 443; Port Translation: 443* CP Service; TLS: seed 004"
open devices    -> portal : https    inbound cite "row 2: Device and User Networks / Internet -> Portal Server, TCP/HTTPS 443; Port Translation: 443* Portal Services and T10 API; TLS: seed 004"
open uem        -> portal : https    inbound cite "row 3: Workspace ONE portal server -> Portal Server (T10 Interface), TCP/HTTPS 443"
open cp, portal -> core   : core-app inbound cite "row 4: CP Server and Portal Server -> Core/App Server, TCP 6443, 8865, 8866, 8867, 8870, 20879, 48660; Port Translation: 6443* (internal SSL), DTP, MSG, DAP, SVC, ME, Token Service"
open core       -> cp     : me-to-cp inbound cite "row 5: Core/App Server -> CP Server, TCP 12780; Port Translation: 12780 CP from ME"
open core       -> db     : mssql    inbound cite "row 6: Core/App Server -> Database Server, TCP 1433; database server on 1433"

# Everything the table does not name is expected to be closed.
default closed
