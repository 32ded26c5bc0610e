# Workspace ONE Assist, multiple-server on-premises deployment.
#
# Written from the Workspace ONE Assist network and firewall requirements
# (seed document 000), section "On-Prem Config: Firewall Rules, Multiple
# Server On-Prem Deployment".  Port names follow the table in "IP Address and
# Port Translation, Medium and Multiple-Server On-Prem Deployment" of the same
# document.  In a multiple-server deployment the CP server takes 443, so
# 8443 is not opened.

profile "Workspace ONE Assist on-premises, multiple servers"
source  "Workspace ONE Assist network and firewall requirements"

zone devices "Device and User Networks / Internet"
zone uem     "Workspace ONE UEM portal server"

role portal  "Portal Server (Portal Services and T10 API)"
role cp      "Connection Proctor (CP) Server"
role core    "Core/App Server"
role db      "MS SQL Database Server"

service https    = tcp/443      # Portal Services, T10 API, CP Service
service mgmt-web = tcp/6443     # Management website services
service dtp      = tcp/8865     # Data Tier Proxy
service msg      = tcp/8866     # Messaging Entity
service dap      = tcp/8867     # Data Access Proxy
service svc      = tcp/8870     # Service Coordinator
service me       = tcp/20879    # Management Entity
service token    = tcp/48660    # Token Service
service me-to-cp = tcp/12780    # Connection Proctor from Management Entity
service mssql    = tcp/1433

# The core/app ports that CP and Portal servers must reach.
service core-app = mgmt-web, dtp, msg, dap, svc, me, token

section "Firewall Rules, Multiple Server On-Prem Deployment"
open devices    -> cp     : https
open devices    -> portal : https
open uem        -> portal : https       # T10 interface
open cp, portal -> core   : core-app
open core       -> cp     : me-to-cp
open core       -> db     : mssql

# Everything the table does not name is expected to be closed.
default closed
