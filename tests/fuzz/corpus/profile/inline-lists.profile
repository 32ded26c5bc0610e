# Inline port lists, ranges, udp, continuation lines, sections and escapes.
profile "Inline \"lists\" and C:\\paths"

zone clients
zone internet "The \\ Internet"
role fcm "Firebase Cloud Messaging"
role web

service fcm-ports = tcp/443, 5228-5230, udp/5228
service all-web = tcp/8080, 80, 443,
                  8443, 81-82

section "FCM"
open clients, web ->
     fcm, internet :
     fcm-ports
open clients -> web : tcp/ 8000 - 8010 , 7999, 8011 , udp/53
section "FCM"
closed clients -> web : tcp/22
section "Plain HTTP"
open internet -> web : all-web, tcp/9000
