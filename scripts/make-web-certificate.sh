#!/usr/bin/env bash
# Makes a self-signed certificate and key for the web page's HTTPS (config/web.json, "tls") and the
# broker's LAN listener (config/lan.json):
#   scripts/make-web-certificate.sh var/web door1.local [192.0.2.10]
# writes var/web/certificate.pem and var/web/key.pem (the key readable by its owner only), valid for
# the host name, 127.0.0.1 and the addresses given, for 825 days. A browser warns about a
# self-signed certificate once; import certificate.pem to trust it for good.
set -euo pipefail
folder=${1:?usage: make-web-certificate.sh FOLDER [HOST-NAME] [IP-ADDRESS...]}
host=${2:-$(hostname)}
shift $(( $# >= 2 ? 2 : 1 ))
names="DNS:$host,DNS:localhost,IP:127.0.0.1"
# A bare host name is also reached as <name>.local (mDNS, what a phone on the LAN types).
case $host in *.*) ;; *) names="$names,DNS:$host.local" ;; esac
for address in "$@"; do
  case $address in fe80:*) continue ;; esac  # link-local: not a name a certificate can hold usefully
  names="$names,IP:$address"
done
mkdir -p "$folder"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
  -subj "/CN=$host" -addext "subjectAltName=$names" \
  -keyout "$folder/key.pem" -out "$folder/certificate.pem" 2>/dev/null
chmod 644 "$folder/certificate.pem"
echo "make-web-certificate: $folder/certificate.pem and $folder/key.pem for $names"
echo "  in config/web.json: \"tls\": {\"certificate_file\": \"$(realpath "$folder")/certificate.pem\", \"key_file\": \"$(realpath "$folder")/key.pem\"}"
