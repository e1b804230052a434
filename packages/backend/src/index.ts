export { isStableUsername, normaliseEmail, usernameForEmail } from './stable-username.js'
