# ZENworks MDM: firewall ports and endpoint URLs.
#
# Written from seed document 003 (ZENworks MDM, 5.2 Firewall Configuration):
# - "5.2.1 Firewall Ports": inbound HTTPS 443 to the MDM server (internal and
#   external access); APNs: the server's 2195 and 2196 to Apple's 17.0.0.0/8
#   block, the devices' 5223; FCM: 443 from the server and the Android
#   clients, 5228 (sometimes 5229, 5230) for devices within the network;
# - "5.2.2 Endpoint URLs": every row of its Apple and Android tables, server
#   connections from the MDM server, device connections from the devices.
# Where 5.2.1 and a 5.2.2 row say the same thing, one rule covers it and
# cites both.  The seed documents no addresses except Apple's 17.0.0.0/8:
# a site binds every name (the lab site binds all to lab addresses).
#
# Wildcards are probed at the names chosen for them below: names the seed
# itself mentions where it does (gstatic.com, gvt2.com, gvt3.com, the
# accounts.google.[country] examples com.au and co.uk), else a well-known
# host of that domain.
#
# TLS: rows that give https:// URLs or say TCP 443 are HTTPS, probed with a
# TLS ClientHello whose SNI is the row's name (for a wildcard, the chosen
# name; for Apple's block, none).  2195/2196 are TLS too ("not an http
# connection but an SSL Socket connection").  Port 80 and 5223, 5228-5230,
# 5235-5236 are plain TCP probes (the seed does not say).
#
# The seed's own slips, kept as written:
# - the DEP row points to "See Integrating ZENworks with Android Enterprise";
# - "*gstatic.com", "*gvt1.com", "*gvt2.com", "*gvt3.com" lack the dot after
#   the star, so they match the bare domains too (gstatic.com is chosen);
# - its notes write "*.ggpht" without a TLD and "TCP 443TCP,UDP/5228-5230"
#   run together: read as *.ggpht.com and as TCP 443 plus TCP and UDP
#   5228-5230.
# Changed by the vendors since (as far as we know; the rules stay as the
# seed has them):
# - Apple retired the legacy binary APNs provider interface
#   (gateway.push.apple.com:2195, feedback.push.apple.com:2196) on 31 March
#   2021; providers use the HTTP/2 API at api.push.apple.com (443 or 2197).
# - Google deprecated FCM's legacy XMPP and HTTP APIs in June 2023 and shut
#   them down in 2024 (fcm-xmpp.googleapis.com, 5235/5236).
# - Google has retired OmahaProxy (omahaproxy.appspot.com) in favour of
#   ChromiumDash.

profile "ZENworks MDM: firewall ports and endpoint URLs"
source  "ZENworks MDM 5.2 Firewall Configuration (seed 003)"

zone internet "Mobile devices outside the firewall (Internet)"
zone devices  "Mobile devices within your network"
zone dmz      "DMZ"
role mdm      "ZENworks MDM Server" in dmz

block apple-17 "Apple's 17.0.0.0/8 block (APNs)" = 17.0.0.0/8 sample 8

# Apple, server connections
fqdn gateway.push.apple.com  "APNs, sending remote notifications"
fqdn feedback.push.apple.com "APNs, feedback"
fqdn api.push.apple.com      "APNs, HTTP/2 provider API"
fqdn mdmenrollment.apple.com "Apple Device Enrollment Program (https://mdmenrollment.apple.com/session)"
fqdn vpp.itunes.apple.com    "Apple Volume Purchase Program (https://vpp.itunes.apple.com/WebObjects/MZFinance.woa/wa/VPPServiceConfigSrv)"
fqdn itun.es                 "iOS App Store App Bundle"
fqdn appsto.re               "iOS App Store App Bundle"
fqdn macappsto.re            "iOS App Store App Bundle"
fqdn apps.itunes.com         "iOS App Store App Bundle"
fqdn apps.itunes-nocookie.com "iOS App Store App Bundle"
wildcard *.apple.com   "iOS App Store App Bundle" = apps.apple.com
wildcard *.mzstatic.com "iOS App Store App Bundle" = is1-ssl.mzstatic.com

# Apple, device connections
fqdn courier.push.apple.com "APNs for devices (17.0.0.0/8)"

# Android, server connections
fqdn fcm.googleapis.com       "Firebase Cloud Messaging (https://fcm.googleapis.com/fcm)"
fqdn www.googleapis.com       "Android Enterprise: Google EMM API"
fqdn play.google.com          "Google Play Store"
fqdn www.google.com           "Play Enterprise re-enroll"
fqdn fonts.googleapis.com     "Google fonts"
fqdn accounts.google.com      "Account Authentication"
fqdn crl.pki.goog             "Certificate Validation"
fqdn ocsp.pki.goog            "Certificate Validation"
fqdn apis.google.com          "GCM, other Google web services, and iFrame JS"
fqdn ajax.googleapis.com      "GCM, other Google web services, and iFrame JS"
fqdn clients1.google.com      "App approval; certificate revocation list checks"
fqdn payments.google.com      "App approval"
fqdn google.com               "App approval"
fqdn notifications.google.com "Desktop/Mobile Notifications"
wildcard *.gstatic.com         "User Generated Content (e.g. app icons in the store)" = www.gstatic.com
wildcard accounts.google.com.* "Country-specific account auth domains" = accounts.google.com.au

# Android, device connections
fqdn fcm-xmpp.googleapis.com    "Firebase Cloud Messaging, XMPP"
fqdn android.com                "Google Play and updates"
fqdn google-analytics.com       "Google Play and updates"
fqdn googleusercontent.com      "User Generated Content"
fqdn dl.google.com              "Download apps and updates"
fqdn dl-ssl.google.com          "Download apps and updates"
fqdn android.clients.google.com "Download apps and updates, Play Store APIs"
fqdn pki.google.com             "Certificate Revocation list checks"
fqdn clients2.google.com        "Shared Google backend services"
fqdn clients3.google.com        "Shared Google backend services"
fqdn clients4.google.com        "Shared Google backend services"
fqdn clients5.google.com        "Shared Google backend services"
fqdn clients6.google.com        "Shared Google backend services"
fqdn omahaproxy.appspot.com     "Chrome updates"
wildcard *gstatic.com      "User Generated Content (sic: no dot after the star)" = gstatic.com
wildcard *gvt1.com         "Download apps and updates (sic: no dot)" = redirector.gvt1.com
wildcard *.ggpht.com       "Download apps and updates (the seed's notes: *.ggpht)" = lh3.ggpht.com
wildcard *gvt2.com         "Play connectivity monitoring (sic: no dot)" = gvt2.com
wildcard *gvt3.com         "Play connectivity monitoring (sic: no dot)" = gvt3.com
wildcard *.googleapis.com  "EMM/Google APIs/PlayStore APIs" = androidmanagement.googleapis.com
wildcard accounts.google.[country] "Authentication, your local top-level domain" =
    accounts.google.com.au, accounts.google.co.uk

group app-store "iOS App Store App Bundle" =
    *.apple.com, *.mzstatic.com, itun.es, appsto.re, macappsto.re, apps.itunes.com,
    apps.itunes-nocookie.com
group play "Google Play and updates" =
    play.google.com, android.com, google-analytics.com, googleusercontent.com, *gstatic.com,
    *gvt1.com, *.ggpht.com, dl.google.com, dl-ssl.google.com, android.clients.google.com,
    *gvt2.com, *gvt3.com
group google-backend "Domains shared by various Google backend services" =
    clients2.google.com, clients3.google.com, clients4.google.com, clients5.google.com,
    clients6.google.com

service https   = tcp/443 tls
service http    = tcp/80
service apns    = tcp/2195-2196 tls   # legacy binary APNs (SSL socket)
service courier = tcp/5223
service fcm     = tcp/5228-5230
service xmpp    = tcp/5235-5236

section "5.2.1 Firewall Ports"
open internet, devices -> mdm      : https inbound  cite "The ZENworks MDM Server accepts most inbound connections using HTTPS on port 443 (internal and external access)"
open mdm               -> apple-17 : apns  outbound cite "APNs: for outbound connections, the MDM server uses ports 2195 and 2196 to Apple's 17.0.0.0/8 block"

section "5.2.2 Endpoint URLs: Apple, Server Connections"
open mdm -> gateway.push.apple.com  : tcp/2195 tls outbound cite "Apple Push Notification Service: gateway.push.apple.com:2195, TCP 2195/2196 (SSL socket, sending remote notifications)"
open mdm -> feedback.push.apple.com : tcp/2196 tls outbound cite "Apple Push Notification Service: feedback.push.apple.com:2196, TCP 2195/2196 (SSL socket, feedback)"
open mdm -> api.push.apple.com      : https        outbound cite "Apple Push Notification Service: https://api.push.apple.com/, TCP 443"
open mdm -> mdmenrollment.apple.com : http, https  outbound cite "Apple Device Enrollment Program: https://mdmenrollment.apple.com/session, HTTP/HTTPS 80 or 443"
open mdm -> vpp.itunes.apple.com    : http, https  outbound cite "Apple Volume Purchase Program: https://vpp.itunes.apple.com/..., HTTP/HTTPS 80 or 443"
open mdm -> app-store               : https        outbound cite "iOS App Store App Bundle: *.apple.com, *.mzstatic.com, itun.es, appsto.re, macappsto.re, apps.itunes.com, apps.itunes-nocookie.com, TCP 443"

section "5.2.2 Endpoint URLs: Apple, Device Connections"
open devices -> courier.push.apple.com, apple-17 : courier, https outbound cite "Apple Push Notification Service: courier.push.apple.com (17.0.0.0/8), TCP 5223 and 443 (also 5.2.1: port 5223 for mobile devices)"

section "5.2.2 Endpoint URLs: Android, Server Connections"
open mdm -> fcm.googleapis.com                       : https, fcm outbound cite "Firebase Cloud Messaging: https://fcm.googleapis.com/fcm, TCP Port 443, 5228-5230 (also 5.2.1: 443 from the MDM server)"
open mdm -> www.googleapis.com                       : https outbound cite "Android Enterprise: https://www.googleapis.com, TCP 443 (Google EMM API)"
open mdm -> play.google.com, www.google.com          : https outbound cite "play.google.com, www.google.com, TCP 443 (Google Play Store, Play Enterprise re-enroll)"
open mdm -> fonts.googleapis.com, *.gstatic.com      : https outbound cite "fonts.googleapis.com, *.gstatic.com, TCP 443 (Google fonts, user generated content)"
open mdm -> accounts.google.com, accounts.google.com.* : https outbound cite "accounts.google.com, accounts.google.com.*, TCP 443 (account authentication)"
open mdm -> crl.pki.goog, ocsp.pki.goog              : https outbound cite "crl.pki.goog, ocsp.pki.goog, TCP 443 (certificate validation)"
open mdm -> apis.google.com, ajax.googleapis.com     : https outbound cite "apis.google.com, ajax.googleapis.com, TCP 443 (GCM, other Google web services, iFrame JS)"
open mdm -> clients1.google.com, payments.google.com, google.com : https outbound cite "clients1.google.com, payments.google.com, google.com, TCP 443 (app approval)"
open mdm -> notifications.google.com                 : https outbound cite "notifications.google.com, TCP 443 (desktop/mobile notifications)"

section "5.2.2 Endpoint URLs: Android, Device Connections"
open devices -> fcm.googleapis.com, fcm-xmpp.googleapis.com : https, fcm outbound cite "Firebase Cloud Messaging: fcm.googleapis.com, fcm-xmpp.googleapis.com, TCP/443,5228-5230 (also 5.2.1: 443 from the Android clients, 5228-5230 within your network)"
open devices -> fcm-xmpp.googleapis.com : xmpp outbound cite "fcm-xmpp.googleapis.com, TCP/5235,5236 (persistent bidirectional XMPP connection to FCM)"
open devices -> play                    : https, tcp+udp/5228-5230 outbound cite "Google Play and updates: play.google.com ... *gvt3.com, TCP 443, TCP,UDP/5228-5230"
open devices -> *.googleapis.com        : https outbound cite "*.googleapis.com, TCP 443 (EMM/Google APIs/PlayStore APIs)"
open devices -> accounts.google.com, accounts.google.[country] : https outbound cite "accounts.google.com, accounts.google.[country], TCP 443 (authentication; e.g. accounts.google.com.au, accounts.google.co.uk)"
open devices -> pki.google.com, clients1.google.com : https outbound cite "pki.google.com, clients1.google.com, TCP 443 (certificate revocation list checks)"
open devices -> google-backend          : https outbound cite "clients2.google.com ... clients6.google.com, TCP 443 (shared Google backend services)"
open devices -> omahaproxy.appspot.com  : https outbound cite "omahaproxy.appspot.com, TCP 443 (Chrome updates)"

# Everything the tables do not name is expected to be closed.
default closed
