import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyHint, signCheckpoint, signingKeyFromSeed, verifierKey, verifyCheckpoint } from "@/server/audit/checkpoint";
import { leafHash, rootFromLeafHashes } from "@/server/audit/merkle";

const keyName = "sightline.test/audit";
const key = { keyName, ...signingKeyFromSeed(Buffer.alloc(32, 7)) };
const root = rootFromLeafHashes(["a", "b", "c"].map((e) => leafHash(e)));
const signed = signCheckpoint({ origin: "sightline.test/audit/org:1", size: 3, root }, key);

describe("signed checkpoints (C2SP format, Ed25519)", () => {
  it("write the checkpoint text, a blank line and one signature line with the key hint", () => {
    const [origin, size, rootLine, blank, sig] = signed.note.split("\n");
    expect([origin, size, rootLine, blank]).toEqual(["sightline.test/audit/org:1", "3", root.toString("base64"), ""]);
    expect(sig).toMatch(/^— sightline\.test\/audit [A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(sig!.split(" ")[2]!, "base64").subarray(0, 4).equals(keyHint(keyName, key.publicKey))).toBe(true);
    expect(verifierKey(keyName, key.publicKey)).toMatch(/^sightline\.test\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
  });

  it("verify with the public key, and refuse a changed size, root or origin, another key, or no signature", () => {
    const ok = verifyCheckpoint(signed.note, key);
    expect(ok).toMatchObject({ ok: true, checkpoint: { origin: "sightline.test/audit/org:1", size: 3 } });
    expect(verifyCheckpoint(signed.note.replace("\n3\n", "\n2\n"), key)).toEqual({
      ok: false,
      reason: "the signature by sightline.test/audit does not verify",
    });
    const otherRoot = randomBytes(32).toString("base64");
    expect(verifyCheckpoint(signed.note.replace(root.toString("base64"), otherRoot), key).ok).toBe(false);
    expect(verifyCheckpoint(signed.note.replace("org:1", "org:2"), key).ok).toBe(false);
    const stranger = { keyName, ...signingKeyFromSeed(Buffer.alloc(32, 9)) };
    expect(verifyCheckpoint(signed.note, stranger)).toEqual({ ok: false, reason: "no signature by sightline.test/audit" });
    expect(verifyCheckpoint(signed.note.split("\n\n")[0]!, key).ok).toBe(false);
    expect(verifyCheckpoint(signed.note.replace("\n3\n", "\n03\n"), key)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a decimal/) });
  });

  it("verify in the SDK from the verifier key string the portal shows, and refuse a key whose hint was altered", async () => {
    const sdk = await import("@sightline/node/audit");
    const vkey = verifierKey(keyName, key.publicKey);
    expect(sdk.verifyCheckpoint(signed.note, vkey)).toMatchObject({ ok: true, checkpoint: { size: 3 } });
    expect(sdk.parseVerifierKey(vkey).publicKey.equals(key.publicKey)).toBe(true);
    const [name, hint, pub] = vkey.split("+");
    const badHint = `${name}+${hint!.replace(/^./, (c) => (c === "0" ? "1" : "0"))}+${pub}`;
    expect(() => sdk.parseVerifierKey(badHint)).toThrow(/hint does not match/);
    expect(() => sdk.parseVerifierKey("not a key")).toThrow(/verifier key reads/);
    const otherKey = verifierKey(keyName, signingKeyFromSeed(Buffer.alloc(32, 9)).publicKey);
    expect(sdk.verifyCheckpoint(signed.note, otherKey).ok).toBe(false);
  });
});
