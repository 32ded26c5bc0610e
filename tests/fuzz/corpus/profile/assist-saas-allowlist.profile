# Workspace ONE Assist, SaaS: the FQDNs and IP addresses to allowlist, for
# every region.
#
# Written from seed document 000 (Workspace ONE Assist network and firewall
# requirements), section "SaaS Configurations": "you must allowlist the
# following fully qualified domain names (FQDNs) and IP addresses.  The FQDNs
# and IPs are region specific ...  The port is 443."  Each row of the list is
# one fqdn below (its description is the row's text, its address the row's
# address, its line the row's place), each region one group, each region's
# group one rule.  The Assist agents on devices and the admins' browsers
# (the Assist web portal) reach these servers: "devices" stands for both.
# Port 443 is HTTPS, so every probe is a TLS ClientHello whose SNI is the
# row's FQDN.
#
# The seed's own slips are kept visible, not corrected:
# - its first region is headed "Unites States" (sic), and so is that group;
# - the US Portal Server row (rm01.awmdm.com) appears a second time inside
#   the US-Stage block: it is declared twice below (`ruleproof check` warns)
#   and stays a member of both groups (probed once, by the US rule);
# - Singapore's CP Server 01 is written "http://rmsgsession01.awmdm.com": the
#   port is still 443, and it is probed with TLS like every other row.
# The seed defers to the knowledge base article "VMware Workspace ONE Assist
# IP ranges for SaaS Data centers" for current addresses; these are the
# seed's, and a site may rebind any of them (the lab site rebinds all).

profile "Workspace ONE Assist SaaS allowlist, every region"
source  "Workspace ONE Assist network and firewall requirements (seed 000)"

zone devices "Device and user networks (Assist agents, admin browsers)"

service https = tcp/443 tls

# Unites States (sic: the seed's heading reads "Unites States")
fqdn rm01.awmdm.com             "Portal Server" = 52.207.131.208
fqdn rmsession01.awmdm.com      "US CP Server 01" = 52.207.186.27
fqdn rmsession02.awmdm.com      "US CP Server 02" = 34.195.109.57
fqdn rmsession03.awmdm.com      "US CP Server 03" = 3.224.230.18
fqdn rmsession04.awmdm.com      "US CP Server 04" = 52.200.22.165
fqdn rmsession05.awmdm.com      "US CP Server 05" = 3.221.52.58
fqdn rmsession06.awmdm.com      "US CP Server 06" = 18.211.168.20

# US-Stage
fqdn rmstage01.awmdm.com        "US-Stage Portal" = 52.44.65.104
fqdn rmstagesession01.awmdm.com "CP Server 01" = 3.227.221.87
fqdn rmstagesession02.awmdm.com "CP Server 02" = 34.198.201.137
fqdn rmstagesession03.awmdm.com "CP Server 03" = 34.199.170.251
fqdn rmstagesession04.awmdm.com "CP Server 04" = 34.232.175.250
fqdn rm01.awmdm.com             "Portal Server (again, inside the US-Stage block)" = 52.207.131.208  # sic

# UK
fqdn rmuk01.awmdm.com           "UK Portal Server" = 35.176.238.148
fqdn rmuksession01.awmdm.com    "CP Server 01" = 35.177.197.211
fqdn rmuksession02.awmdm.com    "CP Server 02" = 18.134.187.214
fqdn rmuksession03.awmdm.com    "CP Server 03" = 18.130.62.109
fqdn rmuksession04.awmdm.com    "CP Server 04" = 18.133.86.204

# Canada
fqdn rmca01.awmdm.com           "Canada Portal Server" = 52.60.162.133
fqdn rmcasession01.awmdm.com    "CP Server 01" = 52.60.196.137
fqdn rmcasession02.awmdm.com    "CP Server 02" = 3.97.76.95
fqdn rmcasession03.awmdm.com    "CP Server 03" = 52.60.228.68
fqdn rmcasession04.awmdm.com    "CP Server 04" = 52.60.238.231

# Germany
fqdn rmde01.awmdm.com           "Germany Portal Server" = 52.28.212.69
fqdn rmdesession01.awmdm.com    "CP Server 01" = 52.28.80.78
fqdn rmdesession02.awmdm.com    "CP Server 02" = 18.198.82.223
fqdn rmdesession03.awmdm.com    "CP Server 03" = 18.193.90.93
fqdn rmdesession04.awmdm.com    "CP Server 04" = 18.158.119.201

# Australia
fqdn rmau01.awmdm.com           "Australia Portal Server" = 52.62.156.193
fqdn rmausession01.awmdm.com    "CP Server 01" = 13.55.186.162
fqdn rmausession02.awmdm.com    "CP Server 02" = 54.153.185.165
fqdn rmausession03.awmdm.com    "CP Server 03" = 54.253.57.82
fqdn rmausession04.awmdm.com    "CP Server 04" = 54.79.90.228

# Japan
fqdn rmjp01.awmdm.com           "Japan Portal Server" = 52.193.23.235
fqdn rmjpsession01.awmdm.com    "CP Server 01" = 52.199.112.44
fqdn rmjpsession02.awmdm.com    "CP Server 02" = 54.168.82.186
fqdn rmjpsession03.awmdm.com    "CP Server 03" = 52.196.79.150
fqdn rmjpsession04.awmdm.com    "CP Server 04" = 54.168.192.92

# Singapore
fqdn rmsg01.awmdm.com           "Singapore Portal Server" = 13.250.134.26
fqdn rmsgsession01.awmdm.com    "CP Server 01 (the seed writes http://rmsgsession01.awmdm.com)" = 54.151.204.98
fqdn rmsgsession02.awmdm.com    "CP Server 02" = 54.179.206.192
fqdn rmsgsession03.awmdm.com    "CP Server 03" = 54.255.1.80
fqdn rmsgsession04.awmdm.com    "CP Server 04" = 13.214.235.227

group us "Unites States (sic)" =
    rm01.awmdm.com,
    rmsession01.awmdm.com,
    rmsession02.awmdm.com,
    rmsession03.awmdm.com,
    rmsession04.awmdm.com,
    rmsession05.awmdm.com,
    rmsession06.awmdm.com
group us-stage "US-Stage" =
    rmstage01.awmdm.com,
    rmstagesession01.awmdm.com,
    rmstagesession02.awmdm.com,
    rmstagesession03.awmdm.com,
    rmstagesession04.awmdm.com,
    rm01.awmdm.com
group uk "UK" =
    rmuk01.awmdm.com,
    rmuksession01.awmdm.com,
    rmuksession02.awmdm.com,
    rmuksession03.awmdm.com,
    rmuksession04.awmdm.com
group canada "Canada" =
    rmca01.awmdm.com,
    rmcasession01.awmdm.com,
    rmcasession02.awmdm.com,
    rmcasession03.awmdm.com,
    rmcasession04.awmdm.com
group germany "Germany" =
    rmde01.awmdm.com,
    rmdesession01.awmdm.com,
    rmdesession02.awmdm.com,
    rmdesession03.awmdm.com,
    rmdesession04.awmdm.com
group australia "Australia" =
    rmau01.awmdm.com,
    rmausession01.awmdm.com,
    rmausession02.awmdm.com,
    rmausession03.awmdm.com,
    rmausession04.awmdm.com
group japan "Japan" =
    rmjp01.awmdm.com,
    rmjpsession01.awmdm.com,
    rmjpsession02.awmdm.com,
    rmjpsession03.awmdm.com,
    rmjpsession04.awmdm.com
group singapore "Singapore" =
    rmsg01.awmdm.com,
    rmsgsession01.awmdm.com,
    rmsgsession02.awmdm.com,
    rmsgsession03.awmdm.com,
    rmsgsession04.awmdm.com

section "SaaS Configurations"
open devices -> us        : https outbound cite "Unites States (sic): rows 1-7 of the allowlist"
open devices -> us-stage  : https outbound cite "US-Stage: rows 8-13 of the allowlist"
open devices -> uk        : https outbound cite "UK: rows 14-18 of the allowlist"
open devices -> canada    : https outbound cite "Canada: rows 19-23 of the allowlist"
open devices -> germany   : https outbound cite "Germany: rows 24-28 of the allowlist"
open devices -> australia : https outbound cite "Australia: rows 29-33 of the allowlist"
open devices -> japan     : https outbound cite "Japan: rows 34-38 of the allowlist"
open devices -> singapore : https outbound cite "Singapore: rows 39-43 of the allowlist"

# An allowlist: nothing else to these servers.  Negative probes go to
# 442 and 444 of every server (the neighbours of 443).
default closed
