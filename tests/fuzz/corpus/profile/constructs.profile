# Every construct of the language, in a loose order and spacing; the .out
# file is its canonical form.
profile "Every construct"
source  "Seed document A"
include "constructs-common.inc"

zone devices "Device networks"
zone dmz     "Public zone"
role mdm     "MDM server" in dmz
role ts      in dmz

fqdn rm01.awmdm.com    "Portal Server" = 52.207.131.208
fqdn RMSESSION01.awmdm.com "CP 01" = 52.207.186.27, 2001:db8::1b
fqdn fcm.googleapis.com
block apple-17 "Apple's block" = 17.0.0.0/8
block doc6 = 2001:db8:100::/40 sample 16
wildcard *.apple.com "App Store" = apps.apple.com, itunes.apple.com
wildcard accounts.google.[country] =
    accounts.google.com.au,
    accounts.google.co.uk
group us "Unites States (sic)" = rm01.awmdm.com, rmsession01.awmdm.com
group everything = us, *.apple.com, apple-17

service https   = tcp/443 tls
service apns    = tcp/2196, 2195 tls sni "gateway.push.apple.com"
service fcm     = udp+tcp/5230, 5228-5229

section "Rules"
open devices -> us : https outbound cite "rows 1-2"
open mdm -> apple-17, *.apple.com : apns, https outbound
open devices -> fcm.googleapis.com, accounts.google.[country] : https, fcm
closed devices -> doc6 : tcp/22 inbound
section ""
open devices -> ts : tcp/8443 tls inbound cite "no section"
source "Seed document B"
open ts -> everything : tcp/1

default closed all
