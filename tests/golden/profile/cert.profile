# Certificate checks after tls: in service definitions and inline port
# lists, in any order (printed in a fixed one), across lines after '(' and
# ',', with and without sni.
profile "Certificate checks"
source "Workspace ONE Assist on-prem (seed 000, 004)"

zone devices
fqdn rm01.assist.example = 198.18.1.10
fqdn cp01.assist.example = 198.18.1.11

service portal = tcp/443 tls cert (same-cert, san, not-expired)
service cp = tcp/8443 tls sni "rm01.assist.example" cert(
                  not-expired 14d, san,
                  pin "5tKnym6KFKx2DPuUkqHDSubUdytjeAUnwlsVclofR8A=",
                  pin "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                  same-cert)

open devices -> rm01.assist.example : portal, cp inbound cite "Table 1"
open devices -> cp01.assist.example : tcp/443 tls cert (issuer "Let's \"Lab\" CA", trusted, san)
open devices -> cp01.assist.example : tcp/9443 tls cert (not-expired 0d), tcp/9444 tls cert (not-expired 3650d), tcp/80
