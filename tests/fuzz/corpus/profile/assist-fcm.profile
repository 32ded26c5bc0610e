# Workspace ONE Assist: Firebase Cloud Messaging for Android devices.
#
# Written from seed document 000 (Workspace ONE Assist network and firewall
# requirements), section "SaaS and On-Prem Config: Additional Network
# Requirements to Enable Firebase Cloud Messaging (FCM)": "the following
# endpoints must be accessible on the end user devices", one table row:
#   fcm.googleapis.com, fcm-xmpp.googleapis.com | TCP/443, 5228-5230
# The seed documents no addresses for these names: a site must bind them
# (the lab site binds them to lab addresses).  Port 443 is HTTPS (TLS, with
# the name as SNI); the seed says nothing of TLS on 5228-5230, so those are
# plain TCP probes.
#
# Since the seed was written, Google deprecated FCM's legacy XMPP and HTTP
# APIs (June 2023) and shut them down in 2024; fcm-xmpp.googleapis.com
# served the XMPP API.  The row is kept as the seed has it.

profile "Workspace ONE Assist: Firebase Cloud Messaging (Android devices)"
source  "Workspace ONE Assist network and firewall requirements (seed 000)"

zone devices "End user devices (Android Assist agent, Intelligent Hub)"

fqdn fcm.googleapis.com      "Firebase Cloud Messaging"
fqdn fcm-xmpp.googleapis.com "Firebase Cloud Messaging (XMPP)"

service https = tcp/443 tls
service fcm   = tcp/5228-5230

section "SaaS and On-Prem Config: Additional Network Requirements to Enable Firebase Cloud Messaging (FCM)"
open devices -> fcm.googleapis.com, fcm-xmpp.googleapis.com : https, fcm outbound cite "Destination Host fcm.googleapis.com, fcm-xmpp.googleapis.com; Ports TCP/443, 5228-5230"

# Nothing else to the FCM hosts: 442, 444, 5227 and 5231 must be closed.
default closed
