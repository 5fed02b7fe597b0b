# Renders one shipped config (config/<name>.json) for the Debian package: paths that point into the
# source tree's var/ (the launcher's state) point to /var/lib/intercom-io, the simulated modem's
# pty to a real modem's port. Run by the install step: cmake -DSOURCE=... -DDESTINATION=... -P this
file(READ "${SOURCE}" text)
string(REPLACE "../var/broker/secrets/" "/var/lib/intercom-io/broker/secrets/" text "${text}")
string(REPLACE "../var/web/" "/var/lib/intercom-io/web/" text "${text}")
string(REPLACE "../var/tls/" "/var/lib/intercom-io/tls/" text "${text}")
string(REPLACE "../var/lan/" "/var/lib/intercom-io/lan/" text "${text}")
string(REPLACE "\"../var/lan\"" "\"/var/lib/intercom-io/lan\"" text "${text}")
# The page on the LAN, over HTTPS with the certificate the postinst makes (the launcher keeps it on
# loopback, plain HTTP).
if(SOURCE MATCHES "/web\\.json$")
  string(REPLACE "\"listen\": { \"address\": \"127.0.0.1\", \"port\": 8080 }"
                 "\"listen\": { \"address\": \"0.0.0.0\", \"port\": 443 },\n  \"tls\": { \"certificate_file\": \"/var/lib/intercom-io/tls/certificate.pem\", \"key_file\": \"/var/lib/intercom-io/tls/key.pem\" }"
                 text "${text}")
  if(NOT text MATCHES "\"port\": 443")
    message(FATAL_ERROR "${SOURCE}: its listen line no longer reads as expected; the package's page would stay on loopback")
  endif()
endif()
string(REPLACE "\"../var/sms\"" "\"/var/lib/intercom-io/sms\"" text "${text}")
string(REPLACE "\"../var/sparkplug\"" "\"/var/lib/intercom-io/sparkplug\"" text "${text}")
string(REPLACE "\"../var/discovery\"" "\"/var/lib/intercom-io/discovery\"" text "${text}")
string(REPLACE "\"../var/history\"" "\"/var/lib/intercom-io/history\"" text "${text}")
string(REPLACE "\"../var/access\"" "\"/var/lib/intercom-io/access\"" text "${text}")
string(REPLACE "\"../var/telephony\"" "\"/var/lib/intercom-io/telephony\"" text "${text}")
string(REPLACE "\"../var/modem-sim/tty\"" "\"/dev/ttyUSB2\"" text "${text}")
if(text MATCHES "\\.\\./var/")
  message(FATAL_ERROR "${SOURCE}: a path into the source tree's var/ is left for the package")
endif()
file(WRITE "${DESTINATION}" "${text}")
