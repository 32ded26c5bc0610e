# DNS names and their documented addresses.
profile "Bad fqdn"
zone devices
zone dotted.name

fqdn localhost
fqdn a..example.com
fqdn -dash.example.com
fqdn dash-.example.com
fqdn under_score.example.com
fqdn *.example.com
fqdn ok.example.com = 17.0.0.0/8, 1.2.3, 300.1.1.1, 2001:db8::1::1, zzz
fqdn ok.example.com "a second time is a warning" = 198.18.0.1,
