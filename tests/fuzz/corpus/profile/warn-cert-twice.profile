# A certificate check or pin listed twice is a warning: the profile still
# parses, and the canonical form lists each once.
profile "Cert checks twice"
zone devices
role srv
open devices -> srv : tcp/443 tls cert (san, trusted, san, same-cert, same-cert, trusted)
open devices -> srv : tcp/8443 tls cert (pin "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                                         pin "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
