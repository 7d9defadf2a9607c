#!/usr/bin/env python3
"""Writes the call benchmark's SIPp scenarios into a folder.

    scenarios.py OUT_DIR

register.xml  a terminal registers (digest), one -inf row (username;password) per call
uac.xml       the inmate's terminal: INVITE -> 401 -> INVITE with credentials -> 200 -> ACK, the PIN
              by SIP INFO (one digit each, fields 2-7), [mode access: the number by INFO, fields
              8-17, then '#'], hold hold_ms, BYE. Logs "INV <Call-ID> <epoch s>" at the credentialed
              INVITE and the gateway's A-leg RTP port from the 200's SDP.
uas.xml       the trunk and the callee: INVITE -> 100, 180, 200 (SDP) -> ACK, after accept_ms an INFO
              Signal=1 (accept) -> 200, then the gateway's BYE -> 200. Logs "TRK <Call-ID> <epoch s>
              <B-leg RTP port>" at the INVITE and "ACC <Call-ID> <epoch s>" before the INFO.
Both call scenarios follow test-scenarios/uac-call-info-pin-hangup.xml and uas-answer-press-info.xml
(same messages), without pcap audio and with -inf fields instead of -key values.
"""
import os
import sys

HEAD = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n'

REGISTER = HEAD + '''<scenario name="bench-register">
  <send retrans="500"><![CDATA[

      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[field0]@[remote_ip]>
      Call-ID: [call_id]
      CSeq: 1 REGISTER
      Contact: <sip:[field0]@[local_ip]:[local_port];transport=[transport]>
      Expires: 3600
      Content-Length: 0

  ]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[

      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[field0]@[remote_ip]>
      Call-ID: [call_id]
      CSeq: 2 REGISTER
      Contact: <sip:[field0]@[local_ip]:[local_port];transport=[transport]>
      Expires: 3600
      [field1]
      Content-Length: 0

  ]]></send>
  <recv response="200"/>
</scenario>
'''


def invite(cseq, auth):
    return '''  <send retrans="500"><![CDATA[

      INVITE sip:[dialed]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[dialed]@[remote_ip]>
      Call-ID: [call_id]
      CSeq: %d INVITE
      Contact: <sip:[field0]@[local_ip]:[local_port];transport=[transport]>
%s      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=inmate 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
      a=sendrecv

  ]]></send>
''' % (cseq, "      [field1]\n" if auth else "")


def info(cseq, signal):
    return '''  <send retrans="500"><![CDATA[

      INFO [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[dialed]@[remote_ip]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: %d INFO
      [routes]
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal=%s
      Duration=160

  ]]></send>
  <recv response="200"/>
''' % (cseq, signal)


def uac(access):
    s = [HEAD, '<scenario name="bench-uac">\n  <Global variables="hold_ms"/>\n']
    s.append(invite(1, False))
    s.append('''  <recv response="100" optional="true"/>
  <recv response="401" auth="true"/>
  <send><![CDATA[

      ACK sip:[dialed]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      Max-Forwards: 70
      [last_From:]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Content-Length: 0

  ]]></send>
  <nop><action><log message="INV [call_id] [timestamp]"/></action></nop>
''')
    s.append(invite(2, True))
    s.append('''  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true">
    <action>
      <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="m,aport"/>
    </action>
  </recv>
  <send><![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[dialed]@[remote_ip]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 ACK
      [routes]
      Content-Length: 0

  ]]></send>
  <nop><action><log message="APORT [call_id] [$aport]"/></action></nop>
''')
    cseq = 3
    for f in range(2, 8):
        s.append(info(cseq, "[field%d]" % f))
        cseq += 1
    if access:
        for f in range(8, 18):
            s.append(info(cseq, "[field%d]" % f))
            cseq += 1
        s.append(info(cseq, "#"))
        cseq += 1
    s.append('''  <nop><action><todouble assign_to="hold" variable="hold_ms"/></action></nop>
  <pause variable="hold"/>
  <send retrans="500"><![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[dialed]@[remote_ip]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: %d BYE
      [routes]
      Content-Length: 0

  ]]></send>
  <recv response="200" crlf="true"/>
  <Reference variables="m"/>
</scenario>
''' % cseq)
    return "".join(s)


UAS = HEAD + '''<scenario name="bench-uas">
  <Global variables="accept_ms"/>
  <recv request="INVITE" crlf="true">
    <action>
      <ereg regexp="[^ ].*" search_in="hdr" header="From:" check_it="true" assign_to="gw_from"/>
      <ereg regexp="[^ ].*" search_in="hdr" header="To:" check_it="true" assign_to="gw_to"/>
      <ereg regexp="sip:[^>;]*" search_in="hdr" header="Contact:" check_it="true" assign_to="gw_contact"/>
      <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="m,bport"/>
      <log message="TRK [call_id] [timestamp] [$bport]"/>
    </action>
  </recv>
  <send><![CDATA[

      SIP/2.0 100 Trying
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

  ]]></send>
  <send><![CDATA[

      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

  ]]></send>
  <send retrans="500"><![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=callee 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
      a=sendrecv

  ]]></send>
  <recv request="ACK" crlf="true"/>
  <nop><action><todouble assign_to="acc" variable="accept_ms"/></action></nop>
  <pause variable="acc"/>
  <nop><action><log message="ACC [call_id] [timestamp]"/></action></nop>
  <send retrans="500"><![CDATA[

      INFO [$gw_contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: [$gw_to];tag=[pid]SIPpTag01[call_number]
      To: [$gw_from]
      Call-ID: [call_id]
      CSeq: 1 INFO
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal=1
      Duration=160

  ]]></send>
  <recv response="200"/>
  <recv request="BYE"/>
  <send><![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

  ]]></send>
  <Reference variables="m"/>
</scenario>
'''


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in (("register.xml", REGISTER), ("uac-direct.xml", uac(False)), ("uac-access.xml", uac(True)),
                       ("uas.xml", UAS)):
        with open(os.path.join(out, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
