# Certificate checks: every error and warning of the cert clause.
profile "Bad cert"
zone devices
role srv
service https = tcp/443
service wrapped = https cert (san)
open devices -> srv : tcp/443 cert (san)
open devices -> srv : https cert (san)
open devices -> srv : tcp/443 tls cert san
open devices -> srv : tcp/443 tls cert ()
open devices -> srv : tcp/443 tls cert (san trusted)
open devices -> srv : tcp/443 tls cert (sans)
open devices -> srv : tcp/443 tls cert ("san")
open devices -> srv : tcp/443 tls cert (not-expired 30)
open devices -> srv : tcp/443 tls cert (not-expired 30 d)
open devices -> srv : tcp/443 tls cert (not-expired 30days)
open devices -> srv : tcp/443 tls cert (not-expired 9999d)
open devices -> srv : tcp/443 tls cert (not-expired, not-expired 10d)
open devices -> srv : tcp/443 tls cert (pin "abc")
open devices -> srv : tcp/443 tls cert (pin "")
open devices -> srv : tcp/443 tls cert (pin "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
open devices -> srv : tcp/443 tls cert (pin "5tKnym6KFKx2DPuUkqHDSubUdytjeAUnwlsVclofR8A")
open devices -> srv : tcp/443 tls cert (pin "5tKnym6KFKx2DPuUkqHDSubUdytjeAUnwlsVclofR8A-")
open devices -> srv : tcp/443 tls cert (pin "5tKnym6KFKx2DPuUkq!DSubUdytjeAUnwlsVclofR8A=")
open devices -> srv : tcp/443 tls cert (pin "6DD1D686F8565360018996D78B8CD37C5B19220C")
open devices -> srv : tcp/443 tls cert (pin 5)
open devices -> srv : tcp/443 tls cert (issuer "")
open devices -> srv : tcp/443 tls cert (issuer "a", issuer "b")
open devices -> srv : tcp/443 tls cert (issuer)
open devices -> srv : tcp/443 tls cert (san, san, trusted, trusted, same-cert, same-cert)
open devices -> srv : tcp/443 tls cert (pin "5tKnym6KFKx2DPuUkqHDSubUdytjeAUnwlsVclofR8A=", pin "5tKnym6KFKx2DPuUkqHDSubUdytjeAUnwlsVclofR8A=")
open devices -> srv : tcp/443 tls cert (san), tcp/443 tls cert (trusted)
open devices -> srv : tcp/443 tls cert (san)) cite "x"
open devices -> srv : tcp/443 tls sni cert (san)
open devices -> srv : tcp/443 tls cert (san
open devices -> srv : udp/443 tls cert (san)
