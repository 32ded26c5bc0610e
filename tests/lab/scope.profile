# A rule toward a vendor's documented address, for the scope guard test.
profile "lab test: a vendor service known by its documented address"

zone clients "client network"
fqdn api.vendor.example "a vendor service" = 198.18.30.10

open clients -> api.vendor.example : tcp/443
