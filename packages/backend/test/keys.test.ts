import { describe, expect, it } from 'vitest'
import { bridgeKey, budgetKey, KEY_PREFIXES, leadingKeyPatterns, linkKey, tombstoneKey } from '../src/stores/keys.js'

describe('the shared table’s keys', () => {
  it('each start with their own prefix', () => {
    expect(budgetKey('send', 'u_1')).toBe('budget#send#u_1')
    expect(budgetKey('wrong', 'u_1')).toBe('budget#wrong#u_1')
    expect(linkKey('j-1')).toBe('link#j-1')
    expect(bridgeKey('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X', 'o-1', 'eu-west-1_Y')).toBe(
      'bridge#https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X#o-1#eu-west-1_Y',
    )
    expect(tombstoneKey('U_ABC')).toBe('tombstone#u_abc')
  })

  it('prefixes never start one another, so a LeadingKeys pattern selects one kind of item', () => {
    const prefixes = Object.values(KEY_PREFIXES)
    for (const a of prefixes) for (const b of prefixes) if (a !== b) expect(b.startsWith(a)).toBe(false)
    expect(new Set(prefixes).size).toBe(prefixes.length)
  })

  it('become IAM LeadingKeys patterns', () => {
    expect(leadingKeyPatterns(['link', 'budget'])).toEqual(['link#*', 'budget#*'])
  })
})
