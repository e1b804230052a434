import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { mockDynamo } from './aws-fakes.js'

type Item = Record<string, AttributeValue>

const failed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} })

/**
 * {@link mockDynamo} plus the UpdateItem and DeleteItem calls of the passkey store, evaluated against the
 * same in-memory table: one item per user, one map attribute per credential (`SET`/`REMOVE` of a
 * credential or of fields inside it), under the conditions the store writes.
 */
export function mockPasskeyDynamo() {
  const fake = mockDynamo()
  const table = fake.table as unknown as Map<string, Item>
  fake.dynamo.on(UpdateItemCommand).callsFake((input) => {
    const key = String(input.Key?.pk?.S)
    const names: Record<string, string> = input.ExpressionAttributeNames ?? {}
    const values: Record<string, AttributeValue> = input.ExpressionAttributeValues ?? {}
    const path = (expr: string) =>
      expr
        .trim()
        .split('.')
        .map((part) => names[part] ?? part)
    const item: Item = structuredClone(table.get(key) ?? { pk: { S: key } })
    const credential = item[names['#c'] ?? '']?.M
    const condition = String(input.ConditionExpression ?? '')
    if (condition.includes('attribute_not_exists(#c)') && credential) throw failed()
    if (condition.includes('attribute_exists(#c)') && !credential) throw failed()
    if (condition.includes('#c.#counter < :n')) {
      const stored = Number(credential?.counter?.N)
      const next = Number(values[':n']?.N)
      if (!(stored < next || (stored === 0 && next === 0))) throw failed()
    }
    const [verb, ...rest] = String(input.UpdateExpression).split(' ')
    for (const clause of rest.join(' ').split(',')) {
      const [target, value] = clause.split('=').map((s) => s.trim())
      const [head, field] = path(target ?? '')
      if (verb === 'REMOVE') delete item[head ?? '']
      else if (field === undefined) item[head ?? ''] = values[value ?? ''] as AttributeValue
      else (item[head ?? ''] as { M: Item }).M[field] = values[value ?? ''] as AttributeValue
    }
    table.set(key, item)
    return input.ReturnValues === 'ALL_NEW' ? { Attributes: item } : {}
  })
  fake.dynamo.on(DeleteItemCommand).callsFake((input) => {
    table.delete(String(input.Key?.pk?.S))
    return {}
  })
  return { ...fake, items: table }
}
