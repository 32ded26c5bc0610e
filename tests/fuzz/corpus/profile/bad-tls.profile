# TLS expectations and both-protocol lists.
profile "Bad tls"
zone devices
role srv
service https = tcp/443

open devices -> srv : udp/443 tls
open devices -> srv : tcp+udp/443 tls
open devices -> srv : tcp/443 tls, 8443
open devices -> srv : https tls
open devices -> srv : tcp/8443 tls sni
open devices -> srv : tcp/8443 tls sni "nodot"
open devices -> srv : tcp/443 tls, https
open devices -> srv : tcp/443 tls sni "a.example.com", tcp/443 tls sni "b.example.com"
open devices -> srv : tcp+tcp/1
open devices -> srv : udp+/1
